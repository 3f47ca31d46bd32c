/**
 * The application menu's items (app-menu.ts installs them). Apart from Electron so that it can be tested
 * under plain Node: only Electron's types are imported here.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(options: {
  developer: boolean;
  mac: boolean;
  name: string;
}): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (options.developer) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  return [
    ...(options.mac ? [{ label: options.name, role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [options.mac ? { role: 'close' } : { role: 'quit' }] },
    { label: 'Edit', role: 'editMenu' },
    { label: 'View', submenu: view },
    { label: 'Window', role: 'windowMenu' },
  ];
}
