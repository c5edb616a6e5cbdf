/**
 * Recording one open item of a gate's readiness checklist (an inbox item): an affected group's
 * ADKAR stage, a role's training count (trained of total people), or — for operations — whether
 * the support model is in place. The server's refusals show under the form.
 */
import { useState } from 'react';
import {
  ADKAR_STAGES,
  DEFAULT_ADKAR_STAGE,
  type AdkarStage,
  type NodeOf,
  type NodeRecord,
} from '../../../../workflows/model';
import { useSession } from '../../shell/session';
import { useIdempotencyKey, useSubmit } from '../ui/hooks';
import { ActionFormShell } from './SimpleForms';

export function ReadinessForm({
  projectId,
  node,
  record,
  itemId,
  onDone,
}: {
  projectId: string;
  node: NodeOf<'gate'>;
  record: NodeRecord | undefined;
  /** `adkar:<group>`, `training:<role>` or `supportModel`. */
  itemId: string;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const [part, key = ''] = itemId.split(':');
  const group = node.readiness?.groups?.find((g) => g.key === key);
  const role = node.readiness?.training?.roles.find((r) => r.key === key);
  const own = record?.readiness;
  const [stage, setStage] = useState<AdkarStage>(
    own?.adkar[key]?.stage ?? group?.stage ?? DEFAULT_ADKAR_STAGE,
  );
  const [trained, setTrained] = useState(String(own?.training[key]?.trained ?? ''));
  const [total, setTotal] = useState(String(own?.training[key]?.total ?? ''));
  const [inPlace, setInPlace] = useState(true);
  const [key_] = useIdempotencyKey();
  const body =
    part === 'adkar'
      ? { adkar: { [key]: stage } }
      : part === 'training'
        ? { training: { [key]: { trained: Number(trained), total: Number(total) } } }
        : { supportModel: { inPlace } };
  const submit = useSubmit(() =>
    api('recordReadiness', {
      params: { id: projectId, nodeId: node.id },
      body: { ...body, idempotencyKey: `${key_}:${itemId}` },
    }),
  );
  const id = `readiness-${node.id}-${itemId.replace(':', '-')}`;
  return (
    <ActionFormShell
      onSubmit={async () => {
        const ok = await submit.run();
        if (ok) onDone(`Readiness recorded on “${node.name}”.`);
        return ok;
      }}
      error={submit.error}
      testId="readiness-form"
      submit={{ label: 'Record', pending: submit.pending }}
    >
      {part === 'adkar' && group && (
        <div className="field">
          <label htmlFor={id}>ADKAR stage {group.name} reached</label>
          <select
            id={id}
            value={stage}
            onChange={(e) => setStage(e.target.value as AdkarStage)}
            data-testid="readiness-stage"
          >
            {ADKAR_STAGES.map((s, i) => (
              <option key={s} value={s}>
                {i + 1}. {s}
              </option>
            ))}
          </select>
        </div>
      )}
      {part === 'training' && role && (
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-trained`}>{role.name} trained</label>
            <input
              id={`${id}-trained`}
              type="number"
              min={0}
              value={trained}
              onChange={(e) => setTrained(e.target.value)}
              data-testid="readiness-trained"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-total`}>of people in the role</label>
            <input
              id={`${id}-total`}
              type="number"
              min={1}
              value={total}
              onChange={(e) => setTotal(e.target.value)}
              data-testid="readiness-total"
            />
          </div>
        </div>
      )}
      {part === 'supportModel' && (
        <label className="check">
          <input
            type="checkbox"
            checked={inPlace}
            onChange={(e) => setInPlace(e.target.checked)}
            data-testid="readiness-support-in-place"
          />{' '}
          The support model is in place (escalation path, SLAs, rota)
        </label>
      )}
    </ActionFormShell>
  );
}
