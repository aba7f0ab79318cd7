import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles/theme.css';
import './ui/styles/app.css';
import './ui/styles/cells.css';
import './ui/styles/outputs.css';
import './ui/styles/shape-views.css';
import './ui/documents/documents.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
