// Drafts of forms kept in the browser, so that a session that expires mid-form loses nothing typed:
// after signing in again the form comes back as it was. Cleared once the form is saved.
window.pbxDrafts = {
  save: (key, json) => localStorage.setItem("pbx-draft:" + key, json),
  load: (key) => localStorage.getItem("pbx-draft:" + key),
  clear: (key) => localStorage.removeItem("pbx-draft:" + key),
};
