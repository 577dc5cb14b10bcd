import { useId } from 'react';
import { demoConfig } from '../config';
import { STORAGE_MODES, switchStorageMode, type StorageMode } from '../storageMode';

const LABELS: Record<StorageMode, string> = {
  sessionStorage: 'sessionStorage (this tab)',
  localStorage: 'localStorage (all tabs)',
  memory: 'memory (until reload)',
  worker: 'worker vault (no refresh token on the page)',
};

/** Picks `tokenStorage`; a change reloads the app with the new mode. */
export function StorageModeSwitch() {
  const id = useId();
  return (
    <label className="storage-switch" htmlFor={id}>
      <span className="muted">Tokens in</span>{' '}
      <select
        id={id}
        data-testid="storage-mode"
        value={demoConfig.auth.tokenStorage}
        onChange={(event) => switchStorageMode(event.target.value as StorageMode)}
      >
        {STORAGE_MODES.map((mode) => (
          <option key={mode} value={mode}>
            {LABELS[mode]}
          </option>
        ))}
      </select>
    </label>
  );
}
