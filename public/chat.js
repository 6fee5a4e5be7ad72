// The customer's chat page: asks our server for a Direct Line token, then renders the official Web Chat.
// Plain browser script (no build step); Web Chat's bundle defines window.WebChat before this runs.
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var statusLine = document.getElementById('chat-status');
  // The assistant's generated avatar, drawn once by the server and kept (src/server/avatar-routes.ts).
  var ASSISTANT_AVATAR_URL = '/avatars/assistant';
  // The bot sends this event with `value.url` when the customer makes an avatar, or verifies and has one.
  var PROFILE_AVATAR_EVENT = 'profile.avatar';

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

  var styleOptions = {
    botAvatarImage: ASSISTANT_AVATAR_URL,
    // Shown only if the image fails; Web Chat also reads it out ("Bot Ava said").
    botAvatarInitials: config.assistantName,
    userAvatarInitials: 'You',
    hideUploadButton: true,
    accent: '#0f6cbd',
    bubbleBorderRadius: 10,
    bubbleFromUserBackground: '#e8f1fb',
    bubbleFromUserBorderRadius: 10,
  };
  var render = null;

  /** Only our own image addresses (or https ones) become the customer's avatar. */
  function readProfileAvatar(activity) {
    if (!activity || activity.type !== 'event' || activity.name !== PROFILE_AVATAR_EVENT)
      return null;
    var url = activity.value && activity.value.url;
    if (typeof url !== 'string') return null;
    return /^\/avatars\/[A-Za-z0-9_-]+$/.test(url) || /^https:\/\//.test(url) ? url : null;
  }

  // Connection changes reach the page through Web Chat's store; customers see them in the status line.
  var store = window.WebChat.createStore({}, function () {
    return function (next) {
      return function (action) {
        if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
          var avatar = readProfileAvatar(action.payload && action.payload.activity);
          if (avatar && avatar !== styleOptions.userAvatarImage) {
            styleOptions = Object.assign({}, styleOptions, { userAvatarImage: avatar });
            // Rendering again with new style options updates Web Chat in place; not from inside a dispatch.
            setTimeout(function () {
              if (render) render();
            }, 0);
          }
        }
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
      var directLine = window.WebChat.createDirectLine(directLineOptions);
      render = function () {
        window.WebChat.renderWebChat(
          {
            directLine: directLine,
            store: store,
            locale: navigator.language || 'en-US',
            styleOptions: styleOptions,
          },
          document.getElementById('webchat'),
        );
      };
      render();
      var input = document.querySelector('#webchat input, #webchat textarea');
      if (input) input.focus();
    })
    .catch(function (error) {
      showStatus('Sorry, ' + error.message + '. Please try again in a moment.', true);
    });
})();
