import { Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { Header } from './components/header';
import { Toaster } from './components/ui/toast';
import { NotFoundPage } from './pages/not-found';
import { routes } from './routes';

/** Client-side routes; the server answers every one of them with this app, so a reload lands on the same page. */
export function App() {
  return (
    <div className="flex min-h-full flex-col">
      <Header />
      <main className="mx-auto w-full max-w-7xl flex-1 px-3 py-4 sm:px-6">
        {/* Each page's code arrives on first visit (see routes.ts); until then, say so to screen readers too. */}
        <Suspense fallback={<p role="status" className="text-muted">Loading…</p>}>
          <Switch>
            {routes.map(({ path, component }) => (
              <Route key={path} path={path} component={component} />
            ))}
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </main>
      <Toaster />
    </div>
  );
}
