import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProvider } from './app/provider';
import { AppRouter } from './app/router';
import { sendHomeRequests } from './app/routes/app/home-data';
import { paths } from './config/paths';
import { nextTask } from './lib/next-task';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/**
 * The start in short tasks, not one long task that blocks a phone's main thread: the modules' evaluation; the home
 * page's requests, a task each; the first render, a transition, which React renders in slices with the browser let in
 * between (index.html's status line stays until it commits).
 */
async function start(container: HTMLElement) {
  await nextTask();
  // The home page's requests (most visits land there) go out before anything renders.
  if (window.location.pathname === paths.home.getHref()) await sendHomeRequests();
  startTransition(() => {
    createRoot(container).render(
      <StrictMode>
        <AppProvider>
          <AppRouter />
        </AppProvider>
      </StrictMode>,
    );
  });
}

void start(root);
