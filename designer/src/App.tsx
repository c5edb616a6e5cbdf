/** The application shell: sign-in, then navigation between the workspace and the designer. */
import { SessionGate } from './shell/session';
import { Shell } from './shell/Shell';

export function App() {
  return (
    <SessionGate>
      <Shell />
    </SessionGate>
  );
}
