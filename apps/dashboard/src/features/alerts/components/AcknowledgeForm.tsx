import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { describeError } from '../../../components/QueryState';
import { acknowledgeAlert } from '../api/alert-queries';

/** Acknowledge one alert, with a comment for the audit log. */
export function AcknowledgeForm({ alertId, onDone }: { alertId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const commentId = useId();
  const mutation = useMutation({
    mutationFn: () => acknowledgeAlert(alertId, comment.trim()),
    onSuccess: async () => {
      onDone();
      // The alert list and every count of open alerts (the overview's too).
      await queryClient.invalidateQueries();
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <form className="ack-form" onSubmit={submit} aria-label="Acknowledge alert">
      <label htmlFor={commentId}>Comment</label>
      <textarea
        id={commentId}
        rows={2}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder="What was checked or done"
        autoFocus
      />
      {mutation.isError && (
        <p className="form-error" role="alert">
          Could not acknowledge: {describeError(mutation.error)}
        </p>
      )}
      <div className="ack-actions">
        <button type="submit" className="button button-primary button-small" disabled={mutation.isPending}>
          {mutation.isPending ? 'Acknowledging…' : 'Confirm acknowledgement'}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={onDone} disabled={mutation.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
