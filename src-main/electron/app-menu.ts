/**
 * The application menu. Packaged builds get no developer tools (no Toggle Developer Tools, no reload):
 * an end user has no use for them and they would open the renderer to arbitrary script. `npm start`
 * (not packaged) keeps them for development.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

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

export function installAppMenu(): void {
  const template = appMenuTemplate({ developer: !app.isPackaged, mac: process.platform === 'darwin', name: app.name });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
