// The colour theme: light, dark or the system's. The choice is the page's (localStorage), so
// a reload or a second tab keeps it; CSS reads it from <html data-theme> (global.css).
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const KEY = 'deeppose-theme';

export function savedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return THEMES.includes(value as Theme) ? (value as Theme) : 'system';
  } catch {
    return 'system'; // storage refused (private mode): the system's theme
  }
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function chooseTheme(theme: Theme): void {
  applyTheme(theme);
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // not kept across reloads; applied all the same
  }
}
