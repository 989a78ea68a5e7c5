import { ApiRequestError } from '../../api';
import type { MessageKey, Translate } from '../../i18n';
import { fieldProblem } from '../auth/fieldErrors';

// The API's webhook URL problems (webhook-sender.ts), in the reader's language.
const URL_PROBLEMS: Record<string, MessageKey> = {
	'must be a URL': 'webhooks.error.url',
	'must be an https URL': 'webhooks.error.https',
	'must not contain credentials': 'webhooks.error.url',
	'the host resolves to a private address': 'webhooks.error.private',
	'the host name does not resolve': 'webhooks.error.resolve',
};

/** A failed submit's field problems as translated text (server text where no translation fits); null: not a field error. */
export function fieldMessages(error: unknown, t: Translate): Record<string, string> | null {
	if (!(error instanceof ApiRequestError) || Object.keys(error.fields).length === 0) {
		return null;
	}
	const messages: Record<string, string> = {};
	for (const [field, problem] of Object.entries(error.fields)) {
		const urlKey = field === 'url' ? URL_PROBLEMS[problem] : undefined;
		const translated = urlKey ? { key: urlKey } : fieldProblem(field, problem, error.code);
		messages[field] = 'key' in translated ? t(translated.key) : translated.text;
	}

	return messages;
}
