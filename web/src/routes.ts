import type { ComponentType } from 'react';
import { AnalyticsPage } from './pages/analytics';
import { DashboardPage } from './pages/dashboard';
import { GoLivePage } from './pages/go-live';
import { HomePage } from './pages/home';
import { MyStreamsPage } from './pages/my-streams';
import { ProfilePage } from './pages/profile';
import { StreamByAddressPage, StreamByIdPage } from './pages/stream';

/** Every page of the app; the server answers each of these paths with the app, so reloads work. */
export const routes: { path: string; component: ComponentType }[] = [
  { path: '/', component: HomePage },
  { path: '/go-live', component: GoLivePage },
  { path: '/dashboard/:id', component: DashboardPage },
  { path: '/analytics/:id', component: AnalyticsPage },
  { path: '/streams', component: MyStreamsPage },
  { path: '/stream/:naddr', component: StreamByAddressPage },
  { path: '/s/:id', component: StreamByIdPage },
  { path: '/p/:pubkey', component: ProfilePage },
];
