import { LoginForm } from '../components/LoginForm';

export function LoginPage({ sessionExpired }: { sessionExpired: boolean }) {
  return (
    <main className="login-page">
      <div className="login-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">S</span>
          <span>Seamless Ops</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">Operations back office for QMORE Checkout Seamless payments.</p>
        {sessionExpired && (
          <p className="banner banner-info" role="status">
            Your session has ended. Sign in again to continue where you were.
          </p>
        )}
        <LoginForm />
      </div>
    </main>
  );
}
