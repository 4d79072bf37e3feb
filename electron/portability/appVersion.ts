import packageJson from '../../package.json' with { type: 'json' };

/** Recorded in every manifest, so a reader knows which app wrote an archive. */
export const appVersion: string = packageJson.version;
