// Shared by the apps and the Node side (which must not import the DOM-bound harness).
/** The id of the button the Node side hovers and clicks. */
export const SIGN_IN_ID = 'sign-in';
/** The id of the element rendered once the app is signed in (watched by a MutationObserver). */
export const SIGNED_IN_ID = 'signed-in';
