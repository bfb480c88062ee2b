import type { LoginRequest, MeResponse } from '@seamless-ops/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { authKeys, login } from '../api/auth-queries';

/** One message for every failure: no hint whether the account exists, is throttled or the password is wrong. */
export const LOGIN_FAILED_MESSAGE = 'Sign-in failed. Check your email and password and try again.';

export function LoginForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errorId = useId();
  const mutation = useMutation({
    mutationKey: authKeys.login,
    mutationFn: (request: LoginRequest) => login(request),
    onSuccess: (me: MeResponse) => queryClient.setQueryData(authKeys.me, me),
  });

  // The button stays enabled while the fields look empty: browsers may hold autofilled values back from
  // scripts until the first interaction; `required` keeps an empty form from being sent.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ email: email.trim(), password });
  };

  return (
    <form className="login-form" onSubmit={submit} aria-describedby={mutation.isError ? errorId : undefined}>
      <div className="field">
        <label htmlFor="login-email">Email</label>
        <input
          id="login-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {mutation.isError && (
        <p id={errorId} className="form-error" role="alert">
          {LOGIN_FAILED_MESSAGE}
        </p>
      )}
      <button type="submit" className="button button-primary button-block" disabled={mutation.isPending}>
        {mutation.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
