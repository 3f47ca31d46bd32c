/**
 * The application menu. Packaged builds get no developer tools (no Toggle Developer Tools, no reload):
 * an end user has no use for them and they would open the renderer to arbitrary script. `npm start`
 * (not packaged) keeps them for development.
 */
import { app, Menu } from 'electron';
import { appMenuTemplate } from './app-menu-template.js';

export function installAppMenu(): void {
  const template = appMenuTemplate({ developer: !app.isPackaged, mac: process.platform === 'darwin', name: app.name });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
