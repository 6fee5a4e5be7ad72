// The customer's chat page: asks our server for a Direct Line token, then renders the official Web Chat.
// Plain browser script (no build step); Web Chat's bundle defines window.WebChat before this runs.
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var statusLine = document.getElementById('chat-status');

  document.getElementById('chat-title').textContent = config.assistantName;
  document.getElementById('chat-subtitle').textContent =
    config.companyName + ' · orders, deliveries, returns and warranties';

  function showStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? 'chat-status chat-status--error' : 'chat-status';
  }

  if (!window.WebChat) {
    showStatus(
      'The chat could not load. If you run this assistant yourself: run "npm run vendor:webchat" or set WEBCHAT_BUNDLE_URL.',
      true,
    );
    return;
  }

  function fetchToken() {
    return fetch('/api/directline/token', { method: 'POST' }).then(function (response) {
      if (!response.ok) {
        return response.json().then(
          function (body) {
            throw new Error((body && body.error) || 'the chat is not available right now');
          },
          function () {
            throw new Error('the chat is not available right now');
          },
        );
      }
      return response.json();
    });
  }

  // Connection changes reach the page through Web Chat's store; customers see them in the status line.
  var store = window.WebChat.createStore({}, function () {
    return function (next) {
      return function (action) {
        if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') showStatus('');
        if (action.type === 'DIRECT_LINE/RECONNECT_PENDING') showStatus('Reconnecting…');
        if (action.type === 'DIRECT_LINE/DISCONNECT_FULFILLED') {
          showStatus('The chat was disconnected. Reload the page to start again.', true);
        }
        return next(action);
      };
    };
  });

  showStatus('Connecting…');
  fetchToken()
    .then(function (issued) {
      var directLineOptions = { token: issued.token, webSocket: true };
      if (issued.domain) directLineOptions.domain = issued.domain;
      window.WebChat.renderWebChat(
        {
          directLine: window.WebChat.createDirectLine(directLineOptions),
          store: store,
          locale: navigator.language || 'en-US',
          styleOptions: {
            botAvatarImage: '/webchat/avatar.svg',
            // Shown only if the image fails; Web Chat also reads it out ("Bot Ava said").
            botAvatarInitials: config.assistantName,
            userAvatarInitials: 'You',
            hideUploadButton: true,
            accent: '#0f6cbd',
            bubbleBorderRadius: 10,
            bubbleFromUserBackground: '#e8f1fb',
            bubbleFromUserBorderRadius: 10,
          },
        },
        document.getElementById('webchat'),
      );
      var input = document.querySelector('#webchat input, #webchat textarea');
      if (input) input.focus();
    })
    .catch(function (error) {
      showStatus('Sorry, ' + error.message + '. Please try again in a moment.', true);
    });
})();
