import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where a resumable scheduled job stopped: the keyset position `(position_at, position_id)` of the last item it
 * finished, written in the same transaction as that item's work. Null position: the next pass starts at the
 * beginning. Gateway reconciliation keeps its pass here, so a restart continues where it stopped.
 */
@Entity('job_checkpoints')
export class JobCheckpoint {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'job_checkpoints_pkey' })
  job!: string;

  @Column({ name: 'position_at', type: 'timestamptz', nullable: true })
  positionAt!: Date | null;

  @Column({ name: 'position_id', type: 'uuid', nullable: true })
  positionId!: string | null;

  /** When the current pass began (it ends when a tick finds nothing after the position). */
  @Column({ name: 'pass_started_at', type: 'timestamptz', nullable: true })
  passStartedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
