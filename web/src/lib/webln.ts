/** The part of a WebLN provider (Alby and other browser wallets) a zap uses. */
export interface WebLnProvider {
  enable(): Promise<void>;
  sendPayment(paymentRequest: string): Promise<{ preimage: string }>;
}

declare global {
  interface Window {
    webln?: WebLnProvider;
  }
}

/** The browser's WebLN wallet, when one is installed. */
export const weblnProvider = (): WebLnProvider | undefined => window.webln;
