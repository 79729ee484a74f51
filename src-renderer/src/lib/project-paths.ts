// Paths the renderer proposes for files it asks main to write. The renderer has no node:path,
// and the project folder may be a Windows path: join with the separator the folder uses.

/** `name` (which may hold '/' for a subfolder) inside the project folder. */
export function projectFilePath(projectPath: string, name: string): string {
  const separator = projectPath.includes('\\') && !projectPath.includes('/') ? '\\' : '/';
  const base = projectPath.replace(/[\\/]+$/, '');
  return `${base}${separator}${name.split('/').join(separator)}`;
}

/** A file-name-safe form of a user's label (run names may hold anything). */
export function safeFileName(label: string): string {
  return (
    label
      .trim()
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '') || 'model'
  );
}
