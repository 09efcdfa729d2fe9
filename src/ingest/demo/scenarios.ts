/**
 * What the demo plants on top of the background: sanctioned RMM use, abuse, and decoys that a sloppy
 * `contains` would match but Kusto's term-based `has` does not. The manifest written beside the data says
 * exactly what was planted, so tests (and users) can check a hunt against it.
 */
export interface Scenario {
  id: string;
  kind: 'abuse' | 'sanctioned' | 'decoy';
  tool: string;
  devices: string[];
  users?: string[];
  tables: string[];
  description: string;
  indicators: { domains?: string[]; processNames?: string[]; signers?: string[] };
}

/** A tool's footprint as Defender records it: the PE version info, signer and the hosts it talks to. */
export interface ToolFootprint {
  tool: string;
  file: string;
  company: string;
  product: string;
  signer: string;
  urls: string[];
}

export const FOOTPRINTS: Record<string, ToolFootprint> = {
  Action1: { tool: 'Action1', file: 'action1_agent.exe', company: 'Action1 Corporation', product: 'Action1 Endpoint Agent', signer: 'Action1 Corporation', urls: ['https://server.action1.com/agent/poll', 'https://server.action1.com/api/3.0/status'] },
  AnyDesk: { tool: 'AnyDesk', file: 'AnyDesk.exe', company: 'AnyDesk Software GmbH', product: 'AnyDesk', signer: 'philandro Software GmbH', urls: ['boot.net.anydesk.com', 'relay-3f1a9c2e.net.anydesk.com'] },
  Atera: { tool: 'Atera', file: 'AteraAgent.exe', company: 'Atera Networks', product: 'AteraAgent', signer: 'Atera Networks Ltd', urls: ['https://agent-api.atera.com/GetCommands', 'https://pubsub.atera.com/'] },
  TacticalRMM: { tool: 'TacticalRMM', file: 'tacticalrmm.exe', company: 'AmidaWare Inc.', product: 'Tactical RMM Agent', signer: 'AmidaWare Inc.', urls: ['https://api.tacticalrmm.io/api/v3/checkin'] },
  MeshCentral: { tool: 'MeshCentral', file: 'MeshAgent.exe', company: 'MeshCentral', product: 'MeshCentral Background Service Agent', signer: 'MeshCentral', urls: ['wss://mesh.meshcentral.com:443/agent.ashx'] },
};

/** Look-alikes: names that contain a tool's name as a substring but never as a whole term. */
export const DECOYS = {
  url: 'https://myanydesk.com.example.org/download',
  url2: 'https://notaction1.com/promo',
  process: { file: 'anydesk-theme-pack.exe', company: 'NotAnyDesk Software Ltd', product: 'Desk Themes', signer: 'Philandro Softworks Ltd' },
};
