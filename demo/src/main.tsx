import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CozeAuthProvider } from 'react-coze-auth';
import { App } from './App';
import { demoConfig } from './config';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CozeAuthProvider {...demoConfig.auth}>
      <App />
    </CozeAuthProvider>
  </StrictMode>,
);
