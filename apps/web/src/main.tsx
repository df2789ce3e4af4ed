import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// First, so every feature's stylesheet comes after the base rules and can refine them.
import './styles/global.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain #root');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
