/** The width below which one pane shows at a time (app/layout.css says the same in CSS). */
export const PHONE_WIDTH = '(max-width: 720px)';

export function isPhoneWidth(): boolean {
  return window.matchMedia?.(PHONE_WIDTH).matches ?? false;
}
