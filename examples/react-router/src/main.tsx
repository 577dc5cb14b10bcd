import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { CallbackPage } from './routes/CallbackPage';
import { CozeRoot } from './routes/CozeRoot';
import { HomePage } from './routes/HomePage';
import { LoginPage } from './routes/LoginPage';
import { ProfilePage, profileLoader } from './routes/ProfilePage';
import { ProtectedPage } from './routes/ProtectedPage';
import { RouteError } from './routes/RouteError';

const router = createBrowserRouter([
  {
    // The router-aware wrapper: the provider lives inside the router so it can navigate.
    element: <CozeRoot />,
    errorElement: <RouteError />,
    // Shown on a fresh page load while the first loaders run (the profile loader awaits a token).
    hydrateFallbackElement: <p role="status">Loading…</p>,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'callback', element: <CallbackPage /> },
      { path: 'protected', element: <ProtectedPage /> },
      { path: 'profile', loader: profileLoader, element: <ProfilePage />, errorElement: <RouteError /> },
    ],
  },
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
