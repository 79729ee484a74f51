import { mount } from 'svelte';
import App from './App.svelte';
import './styles/global.css';
import { applyTheme, savedTheme } from './lib/theme/theme';

// Before the first paint, so a dark choice never flashes light.
applyTheme(savedTheme());

mount(App, { target: document.getElementById('app')! });
