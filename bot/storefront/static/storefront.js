/* The demo storefront's chat: mounts rasa-webchat (window.WebChat, /widget/webchat.js) with the
 * configuration the server wrote into #shop-chat-config, marks messages written by a person,
 * and adds the labels and keyboard access the widget lacks. A shop copies this file as is. */
(function () {
  'use strict';

  var AGENT_CLASS = 'shop-agent-message';
  // rasa-webchat keeps the conversation (session id and history) under this localStorage key.
  var SESSION_KEY = 'chat_session';
  var config = JSON.parse(document.getElementById('shop-chat-config').textContent);

  // The socket.io channel marks an agent's message with metadata {"from": "agent"}. The widget
  // styles a message from metadata.customCss, and our onSocketEvent handler runs before its own
  // bot_uttered handler with the same object, so the mark is added here. The widget stores the
  // class with the message, so the history shown after a reload keeps the mark.
  function markAgentMessage(message) {
    if (message && message.metadata && message.metadata.from === 'agent') {
      message.metadata.customCss = { style: 'class', css: AGENT_CLASS };
    }
  }

  function setLabel(element, text) {
    if (element && element.getAttribute('aria-label') !== text) {
      element.setAttribute('aria-label', text);
    }
  }

  // The widget renders buttons as bare images and quick replies as <div>s: name them, and
  // make the replies reachable with Tab and usable with Enter or Space.
  function improveAccessibility() {
    var open = !!document.querySelector('.rw-conversation-container');
    var launcher = document.querySelector('.rw-launcher');
    if (launcher) {
      setLabel(launcher, open ? 'Close the chat' : 'Chat with our support assistant');
      launcher.setAttribute('aria-expanded', String(open));
    }
    setLabel(document.querySelector('.rw-close-button'), 'Close the chat');
    setLabel(document.querySelector('.rw-new-message'), 'Your message');
    setLabel(document.querySelector('.rw-send'), 'Send');
    var log = document.querySelector('.rw-messages-container');
    if (log) {
      log.setAttribute('role', 'log');
      log.setAttribute('aria-live', 'polite');
      setLabel(log, 'Conversation');
    }
    var typing = document.querySelector('.rw-typing-indication');
    if (typing) {
      typing.setAttribute('role', 'status');
      setLabel(typing, 'The assistant is typing');
    }
    document.querySelectorAll('.rw-replies').forEach(function (group) {
      group.setAttribute('role', 'group');
      setLabel(group, 'Suggested replies');
    });
    document.querySelectorAll('.rw-replies div.rw-reply').forEach(function (reply) {
      if (!reply.hasAttribute('tabindex')) {
        reply.setAttribute('role', 'button');
        reply.setAttribute('tabindex', '0');
      }
    });
  }

  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (target && target.matches && target.matches('.rw-replies div.rw-reply') &&
        (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      target.click();
    }
  });

  // Signing out ends the conversation too: the next person at this browser starts afresh.
  var signOut = document.getElementById('sign-out-form');
  if (signOut) {
    signOut.addEventListener('submit', function () {
      window.localStorage.removeItem(SESSION_KEY);
    });
  }

  var root = document.getElementById('shop-chat');
  new MutationObserver(improveAccessibility).observe(root, { childList: true, subtree: true });

  window.WebChat.default({
    socketUrl: config.socketUrl,
    socketPath: config.socketPath,
    initPayload: config.initPayload,
    customData: config.customData,
    title: config.title,
    subtitle: config.subtitle,
    inputTextFieldHint: config.inputTextFieldHint,
    params: { storage: 'local' },
    withRules: false,
    onSocketEvent: { bot_uttered: markAgentMessage },
  }, root);
})();
