/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_COZE_CLIENT_ID?: string;
  readonly VITE_COZE_REDIRECT_URI?: string;
  readonly VITE_COZE_BASE_URL?: string;
  readonly VITE_COZE_WEB_BASE_URL?: string;
}
