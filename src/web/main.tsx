/** Entry point of the web app: moves a `?token=` into session storage, then renders the shell. */
import { render } from 'preact';
import { App } from './app.js';
import { adoptTokenFromUrl } from './token.js';
import './styles/app.css';

adoptTokenFromUrl();
render(<App />, document.getElementById('app')!);
