/**
 * The project page's confirmations. A form sent here is often gone with the new state (a
 * sign-off, a deliverable) or disabled while it ran, and the focus would fall to the page's
 * start; the confirmation takes it instead, shown just before the part of the page the form
 * was in (its `data-notice-region`), so a keyboard or screen-reader user hears what happened
 * and goes on from where they were.
 */
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { Notice } from '../ui/states';

const REGIONS = ['page', 'hypercare', 'steps', 'feedback', 'benefits', 'kpi'] as const;
/** Where a confirmation shows; `page` (below the header) for a form in no marked region. */
export type NoticeRegion = (typeof REGIONS)[number];

interface Shown {
  text: string;
  region: NoticeRegion;
  /** Each confirmation is a new one: the same words said twice take the focus twice. */
  seq: number;
}

const NoticeContext = createContext<{ shown?: Shown; dismiss: () => void }>({
  dismiss: () => undefined,
});

const isRegion = (name: string | null | undefined): name is NoticeRegion =>
  REGIONS.some((r) => r === name);

/**
 * The page's confirmations: `say` one, `onSubmitCapture` on the page's root notes where each
 * form is sent from (every action here is a form), `provide` wraps the page. Another `view` (a
 * tab) drops the confirmation: shown again, it would take the focus again.
 */
export function useProjectNotices(view: string) {
  const [shown, setShown] = useState<Shown>();
  const region = useRef<NoticeRegion>('page');
  const seq = useRef(0);
  useEffect(() => setShown(undefined), [view]);
  const onSubmitCapture = (event: FormEvent) => {
    const form = event.target;
    const marked =
      form instanceof Element
        ? form.closest('[data-notice-region]')?.getAttribute('data-notice-region')
        : undefined;
    region.current = isRegion(marked) ? marked : 'page';
  };
  const say = (text: string) => {
    seq.current += 1;
    setShown({ text, region: region.current, seq: seq.current });
  };
  const dismiss = () => setShown(undefined);
  const provide = (children: ReactNode) => (
    <NoticeContext.Provider value={{ shown, dismiss }}>{children}</NoticeContext.Provider>
  );
  return { say, onSubmitCapture, provide };
}

/** Where the confirmation of a form sent in `region` shows: just before that region. */
export function NoticeSpot({ region }: { region: NoticeRegion }) {
  const { shown, dismiss } = useContext(NoticeContext);
  if (shown?.region !== region) return null;
  return (
    <Notice key={shown.seq} onClose={dismiss} takeFocus>
      {shown.text}
    </Notice>
  );
}
