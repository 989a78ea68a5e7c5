import { AuthForm } from '../../features/auth/AuthForm';

/** The log-in page. */
export function LoginPage({ next }: { next: string | null }) {
	return <AuthForm key="login" mode="login" next={next} />;
}
