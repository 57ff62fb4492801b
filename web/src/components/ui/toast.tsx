import * as ToastPrimitive from '@radix-ui/react-toast';
import { X } from 'lucide-react';
import { useSyncExternalStore } from 'react';

/** What a toast says; `action` is one button (Undo, Retry) that closes the toast when pressed. */
export interface ToastMessage {
  readonly title: string;
  readonly description?: string;
  readonly action?: { readonly label: string; onClick(): void };
  /** Milliseconds on screen; 5 s unless told. */
  readonly duration?: number;
}

interface ShownToast extends ToastMessage {
  readonly id: number;
}

// One list for the whole app: toasts are raised from anywhere (a chat row, the player), shown by the one <Toaster />.
let shown: readonly ShownToast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const changed = (next: readonly ShownToast[]) => {
  shown = next;
  for (const listener of listeners) listener();
};

/**
 * Shows a short message at the bottom of the screen (announced to screen readers as a status).
 *
 *   toast({ title: 'Muted npub1…', action: { label: 'Undo', onClick: unmute } });
 */
export function toast(message: ToastMessage): void {
  changed([...shown, { ...message, id: nextId++ }].slice(-3));
}

const dismiss = (id: number) => changed(shown.filter((item) => item.id !== id));

/** Mounted once, in the app's shell. */
export function Toaster() {
  const toasts = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => shown,
  );
  return (
    <ToastPrimitive.Provider swipeDirection="down">
      {toasts.map((item) => (
        <ToastPrimitive.Root
          key={item.id}
          duration={item.duration ?? 5000}
          onOpenChange={(open) => !open && dismiss(item.id)}
          className="flex items-start gap-3 rounded-lg border border-border bg-surface-2 p-3 text-sm shadow-xl data-[state=closed]:opacity-0"
          data-testid="toast"
        >
          <div className="min-w-0 flex-1">
            <ToastPrimitive.Title className="font-medium">{item.title}</ToastPrimitive.Title>
            {item.description && <ToastPrimitive.Description className="mt-0.5 text-muted">{item.description}</ToastPrimitive.Description>}
          </div>
          {item.action && (
            <ToastPrimitive.Action
              altText={item.action.label}
              onClick={item.action.onClick}
              className="rounded bg-accent px-2 py-1 text-xs font-semibold text-accent-foreground hover:opacity-90 focus-visible:ring-2 focus-visible:ring-accent"
            >
              {item.action.label}
            </ToastPrimitive.Action>
          )}
          <ToastPrimitive.Close aria-label="Dismiss" className="rounded p-0.5 text-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-accent">
            <X className="h-4 w-4" />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed inset-x-0 bottom-0 z-[60] mx-auto flex w-full max-w-sm flex-col gap-2 p-3 outline-none sm:bottom-4 sm:right-4 sm:left-auto" />
    </ToastPrimitive.Provider>
  );
}
