import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { layoutInWebWorker } from './logic/elk-worker';

// Auto-layout off the main thread: a large template is laid out without freezing the page.
layoutInWebWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
