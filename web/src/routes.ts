import type { ComponentType } from 'react';
import { HomePage } from './pages/home';

/**
 * Every page of the app. Streamer pages: /go-live, /dashboard/:id, /analytics/:id, /streams.
 * Viewer pages: /, /stream/:naddr, /s/:id, /p/:pubkey.
 */
export const routes: { path: string; component: ComponentType }[] = [{ path: '/', component: HomePage }];
