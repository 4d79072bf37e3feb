import { app, BrowserWindow, ipcMain, nativeImage, powerMonitor, session, shell, type IpcMainEvent, type NativeImage } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AresCore } from './core/aresCore.js';
import { attachBackgroundServices } from './core/backgroundServices.js';
import { appOrigin, registerAppScheme, serveRenderer } from './shell/appProtocol.js';
import { attachAttentionBadge, type OverlaySetter } from './shell/attentionBadge.js';
import { ipcChannel } from './shell/ipcProtocol.js';
import { createIpcServer } from './shell/ipcServer.js';
import { safeStorageKeychain } from './shell/safeStorageKeychain.js';

// The shell: window, lifecycle and IPC wiring. Everything else lives in the core.
const bundleDirectory = dirname(fileURLToPath(import.meta.url));
const rendererDirectory = join(bundleDirectory, '..', 'dist', 'renderer');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let mainWindow: BrowserWindow | null = null;
  let core: AresCore | null = null;
  // Windows taskbar badge: kept so a window created later (macOS-style re-activation) shows it too.
  let overlay: { image: NativeImage | null; description: string } = { image: null, description: '' };
  const taskbarOverlay: OverlaySetter = {
    setOverlay(image, description) {
      overlay = { image: image ? nativeImage.createFromBitmap(image.bgra, { width: image.size, height: image.size }) : null, description };
      mainWindow?.setOverlayIcon(overlay.image, overlay.description);
    },
  };

  const isTrustedSender = (event: IpcMainEvent) =>
    mainWindow !== null && event.sender === mainWindow.webContents && event.senderFrame?.url.startsWith(`${appOrigin}/`) === true && event.senderFrame.parent === null;

  const createWindow = () => {
    mainWindow = new BrowserWindow({
      width: 1200,
      height: 800,
      minWidth: 800,
      minHeight: 560,
      title: 'Ares Desktop',
      show: false,
      webPreferences: {
        preload: join(bundleDirectory, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: true,
      },
    });
    mainWindow.once('ready-to-show', () => {
      mainWindow?.show();
      if (process.platform === 'win32') mainWindow?.setOverlayIcon(overlay.image, overlay.description);
    });
    mainWindow.on('closed', () => (mainWindow = null));
    // No navigation away from the app and no new windows; links open in the system browser.
    mainWindow.webContents.on('will-navigate', (event) => event.preventDefault());
    mainWindow.webContents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    void mainWindow.loadURL(`${appOrigin}/index.html`);
  };

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void app.whenReady().then(() => {
    core = new AresCore({ dataDirectory: app.getPath('userData'), keychain: safeStorageKeychain });
    attachBackgroundServices(core);
    attachAttentionBadge(core, app, process.platform, taskbarOverlay);
    const ipcServer = createIpcServer({ core, isTrustedSender });
    ipcMain.on(ipcChannel, ipcServer.handle);
    serveRenderer(rendererDirectory);
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'notifications'));

    // A sleeping or locked computer locks the tenant: the key leaves memory.
    for (const eventName of ['suspend', 'lock-screen'] as const) {
      powerMonitor.on(eventName as 'suspend', () => void core?.lock('system'));
    }
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quitting waits for the tenant to lock (bounded: the agent runner gives its relay lease back within
  // 2 s), so another desktop answers customers at once and the key leaves memory before exit.
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting || !core) return;
    quitting = true;
    event.preventDefault();
    void core.dispose().finally(() => app.quit());
  });
}
