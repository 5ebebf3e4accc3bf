// Report page behaviour: the failures filter and jumping to a tool's source line.
// The page's content is rendered (escaped) by the extension; this script only adds behaviour.
(function () {
  const vscode = acquireVsCodeApi();
  const state = vscode.getState() || { onlyFailed: false };
  const box = document.getElementById('only-failed');
  const apply = () => document.body.classList.toggle('only-failed', state.onlyFailed);
  if (box) {
    box.checked = state.onlyFailed;
    box.addEventListener('change', () => {
      state.onlyFailed = box.checked;
      vscode.setState(state);
      apply();
    });
  }
  apply();
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a.source') : null;
    if (!link) return;
    event.preventDefault();
    vscode.postMessage({ type: 'open', file: link.getAttribute('data-file'), line: Number(link.getAttribute('data-line')) });
  });
})();
