// Lit uses constructable stylesheets; where it falls back to <style> elements,
// the page's nonce lets them through the CSP. Imported before anything of Lit.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="lv-nonce"]')?.content;
if (nonce) (window as unknown as { litNonce?: string }).litNonce = nonce;
export {};
