import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/i18n.js';
// antd's component styles, prebuilt (theme.zeroRuntime; scripts/antd-stylesheet.ts, ADR 0018).
import 'virtual:antd.css';
import './app/global.css';
import { App } from './app/App.js';
import { preloadFor } from './app/router.js';

preloadFor(window.location.pathname);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
