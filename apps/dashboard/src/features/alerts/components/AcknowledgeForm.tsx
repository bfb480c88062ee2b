import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { describeError } from '../../../components/QueryState';
import { isApiError } from '../../../lib/api-client';
import { acknowledgeAlert } from '../api/alert-queries';

/** The API's limit on the comment. */
const MAX_COMMENT = 1000;

/**
 * Acknowledge one open alert, with a comment kept on the alert and in the audit log. When someone else was
 * faster (or the condition cleared meanwhile) the API answers 409: the form says so and the alert is reloaded,
 * so the page shows who acknowledged it.
 */
export function AcknowledgeForm({ alertId, onDone }: { alertId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const commentId = useId();
  const mutation = useMutation({
    mutationFn: () => acknowledgeAlert(alertId, comment.trim()),
    onSuccess: async () => {
      onDone();
      // The alert list and detail, the checks' live counts, and every count of open alerts (the overview's too).
      await queryClient.invalidateQueries();
    },
    onError: async (error) => {
      if (isApiError(error) && error.status === 409) await queryClient.invalidateQueries();
    },
  });
  const conflict = mutation.isError && isApiError(mutation.error) && mutation.error.status === 409;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!conflict) mutation.mutate();
  };

  return (
    <form className="ack-form" onSubmit={submit} aria-label="Acknowledge alert">
      <label htmlFor={commentId}>Comment</label>
      <textarea
        id={commentId}
        rows={2}
        maxLength={MAX_COMMENT}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder="What was checked or done (kept in the audit log)"
        disabled={conflict}
        autoFocus
      />
      {mutation.isError && (
        <p className="form-error" role="alert">
          {conflict
            ? `Not acknowledged: ${describeError(mutation.error)}. The alert has been reloaded and shows its current state.`
            : `Could not acknowledge: ${describeError(mutation.error)}`}
        </p>
      )}
      <div className="ack-actions">
        {!conflict && (
          <button type="submit" className="button button-primary button-small" disabled={mutation.isPending}>
            {mutation.isPending ? 'Acknowledging…' : 'Confirm acknowledgement'}
          </button>
        )}
        <button type="button" className="button button-ghost button-small" onClick={onDone} disabled={mutation.isPending}>
          {conflict ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
