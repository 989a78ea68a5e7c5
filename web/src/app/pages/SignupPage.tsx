import { AuthForm } from '../../features/auth/AuthForm';

/** The sign-up page. */
export function SignupPage({ next }: { next: string | null }) {
	return <AuthForm key="signup" mode="signup" next={next} />;
}
