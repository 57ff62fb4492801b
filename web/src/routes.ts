import { lazy, type ComponentType } from 'react';

/**
 * A page whose code is fetched the first time it is shown: the home page then downloads
 * neither hls.js (only the pages with a player need it) nor the pages a viewer never visits.
 */
function page<Module>(load: () => Promise<Module>, pick: (module: Module) => ComponentType): ComponentType {
  return lazy(async () => ({ default: pick(await load()) }));
}

/** Every page of the app; the server answers each of these paths with the app, so reloads work. */
export const routes: { path: string; component: ComponentType }[] = [
  { path: '/', component: page(() => import('./pages/home'), (module) => module.HomePage) },
  { path: '/go-live', component: page(() => import('./pages/go-live'), (module) => module.GoLivePage) },
  { path: '/dashboard/:id', component: page(() => import('./pages/dashboard'), (module) => module.DashboardPage) },
  { path: '/analytics/:id', component: page(() => import('./pages/analytics'), (module) => module.AnalyticsPage) },
  { path: '/streams', component: page(() => import('./pages/my-streams'), (module) => module.MyStreamsPage) },
  { path: '/stream/:naddr', component: page(() => import('./pages/stream'), (module) => module.StreamByAddressPage) },
  { path: '/s/:id', component: page(() => import('./pages/stream'), (module) => module.StreamByIdPage) },
  { path: '/p/:pubkey', component: page(() => import('./pages/profile'), (module) => module.ProfilePage) },
  { path: '/settings/profile', component: page(() => import('./pages/edit-profile'), (module) => module.EditProfilePage) },
  { path: '/settings/wallet', component: page(() => import('./pages/wallet-settings'), (module) => module.WalletSettingsPage) },
];
