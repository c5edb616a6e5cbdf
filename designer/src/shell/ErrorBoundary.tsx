/** Keeps one broken screen from blanking the whole app; offers to try again. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ProblemView } from '../workspace/ui/states';
import { ScreenLoadError } from './screens';

interface Props {
  children: ReactNode;
  /** Changing it (e.g. the route) clears the error. */
  resetKey: string;
}

export class ErrorBoundary extends Component<Props, { error: unknown; key: string }> {
  override state = { error: undefined as unknown, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: unknown; key: string }) {
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('screen failed', error, info.componentStack);
    // Shown now: the next render of that screen (Try again, or opened again) loads it anew.
    if (error instanceof ScreenLoadError) error.retry();
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <div className="card">
        <ProblemView error={this.state.error} onRetry={() => this.setState({ error: undefined })} />
      </div>
    );
  }
}
