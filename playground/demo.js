// Logs every event the element fires, newest first.
const log = document.getElementById('log');
for (const type of ['anypoint-signin', 'anypoint-signout', 'anypoint-signin-error', 'anypoint-code-exchange', 'signedinchange', 'accesstokenchange']) {
  document.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${type} ${JSON.stringify(event.detail)}`;
    log.prepend(item);
  });
}
