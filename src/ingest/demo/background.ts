/**
 * Benign background of the demo organisation: the software a Windows estate really runs, with the vendor
 * names, file names and domains Defender records for it. None of it is an RMM tool.
 */
export interface App {
  file: string;
  company: string;
  product: string;
  folder: string;
  signer: string;
  urls: string[];
}

export const BACKGROUND_APPS: readonly App[] = [
  { file: 'msedge.exe', company: 'Microsoft Corporation', product: 'Microsoft Edge', folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application', signer: 'Microsoft Corporation', urls: ['https://www.bing.com/search', 'https://edge.microsoft.com/componentupdater', 'https://login.microsoftonline.com/common/oauth2'] },
  { file: 'chrome.exe', company: 'Google LLC', product: 'Google Chrome', folder: 'C:\\Program Files\\Google\\Chrome\\Application', signer: 'Google LLC', urls: ['https://www.google.com/search', 'https://update.googleapis.com/service/update2', 'https://mail.google.com/mail'] },
  { file: 'ms-teams.exe', company: 'Microsoft Corporation', product: 'Microsoft Teams', folder: 'C:\\Program Files\\WindowsApps\\MSTeams', signer: 'Microsoft Corporation', urls: ['https://teams.microsoft.com/api/chatsvc', 'https://statics.teams.cdn.office.net/'] },
  { file: 'OneDrive.exe', company: 'Microsoft Corporation', product: 'Microsoft OneDrive', folder: 'C:\\Program Files\\Microsoft OneDrive', signer: 'Microsoft Corporation', urls: ['https://contoso-my.sharepoint.com/personal', 'https://onedriveclientprod.blob.core.windows.net/'] },
  { file: 'OUTLOOK.EXE', company: 'Microsoft Corporation', product: 'Microsoft Outlook', folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16', signer: 'Microsoft Corporation', urls: ['https://outlook.office365.com/mapi/emsmdb', 'https://substrate.office.com/'] },
  { file: 'svchost.exe', company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', folder: 'C:\\Windows\\System32', signer: 'Microsoft Windows', urls: ['https://settings-win.data.microsoft.com/', 'https://fe2cr.update.microsoft.com/', 'https://ctldl.windowsupdate.com/msdownload'] },
  { file: 'MsSense.exe', company: 'Microsoft Corporation', product: 'Microsoft Defender for Endpoint', folder: 'C:\\Program Files\\Windows Defender Advanced Threat Protection', signer: 'Microsoft Windows Publisher', urls: ['https://winatp-gw-weu.microsoft.com/', 'https://events.data.microsoft.com/OneCollector'] },
  { file: 'Zoom.exe', company: 'Zoom Video Communications, Inc.', product: 'Zoom', folder: 'C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin', signer: 'Zoom Video Communications, Inc.', urls: ['https://zoom.us/wc/join', 'https://us04web.zoom.us/'] },
  { file: 'AcroRd32.exe', company: 'Adobe Inc.', product: 'Adobe Acrobat Reader', folder: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat', signer: 'Adobe Inc.', urls: ['https://acroipm2.adobe.com/', 'https://armmf.adobe.com/arm-manifests'] },
  { file: 'GoogleUpdate.exe', company: 'Google LLC', product: 'Google Update', folder: 'C:\\Program Files (x86)\\Google\\Update', signer: 'Google LLC', urls: ['https://update.googleapis.com/service/update2'] },
];

export const FIRST_NAMES = ['ana', 'ben', 'chloe', 'dev', 'emma', 'farid', 'grace', 'hiro', 'ines', 'jon', 'kira', 'liam', 'maya', 'noah', 'olga', 'priya', 'quinn', 'rosa', 'sam', 'tariq', 'uma', 'victor', 'wen', 'xena', 'yusuf', 'zoe'];
export const LAST_NAMES = ['silva', 'meyer', 'dubois', 'patel', 'okafor', 'novak', 'kim', 'rossi', 'larsen', 'haddad', 'ito', 'walsh', 'garcia', 'chen'];
