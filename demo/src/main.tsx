import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CozeAuthProvider, CozeQueryProvider } from 'react-coze-auth';
import { App } from './App';
import { demoConfig } from './config';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CozeAuthProvider {...demoConfig.auth}>
      <CozeQueryProvider>
        <App />
      </CozeQueryProvider>
    </CozeAuthProvider>
  </StrictMode>,
);
