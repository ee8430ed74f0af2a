// The soft phone: SIP.js (npm, served from our static files) registers the agent's number over
// WebSocket (Kamailio with WebRTC) and takes the calls the engine rings the agent with.
// Without CALLCENTER_SIP_WS_URL the page says so and the agent uses a desk phone.
export function startPhone(root) {
  const status = document.querySelector("[data-phone-status]");
  const audio = document.querySelector("[data-phone-audio]");
  const phone = {
    invitation: null,
    answer: () => false,
    reject: () => false,
    hangUp: () => false,
  };
  if (!root.dataset.sipWs) return phone;

  import(root.dataset.sipjs).then(({ UserAgent, Registerer, SessionState }) => {
    const userAgent = new UserAgent({
      uri: UserAgent.makeURI(root.dataset.sipUri),
      transportOptions: { server: root.dataset.sipWs },
      sessionDescriptionHandlerFactoryOptions: { iceGatheringTimeout: 500 },
      delegate: {
        onInvite(invitation) {
          phone.invitation = invitation;
          invitation.stateChange.addListener((state) => {
            if (state === SessionState.Established) {
              const stream = new MediaStream();
              invitation.sessionDescriptionHandler.peerConnection
                .getReceivers()
                .forEach((receiver) => receiver.track && stream.addTrack(receiver.track));
              audio.srcObject = stream;
            }
            if (state === SessionState.Terminated) phone.invitation = null;
          });
        },
      },
    });
    const registerer = new Registerer(userAgent);
    userAgent
      .start()
      .then(() => registerer.register())
      .then(() => { status.textContent = status.dataset.ready || "SIP ✓"; })
      .catch((error) => { status.textContent = `SIP: ${error.message}`; });
  }).catch((error) => { status.textContent = `SIP.js: ${error.message}`; });

  const take = (act) => {
    const invitation = phone.invitation;
    if (!invitation || invitation.state !== "Initial") return false;
    act(invitation);
    return true;
  };
  phone.answer = () => take((invitation) => invitation.accept({
    sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
  }));
  phone.reject = () => take((invitation) => invitation.reject());
  // A call the soft phone answered ends with its own BYE; the engine reports the hang-up.
  phone.hangUp = () => {
    const invitation = phone.invitation;
    if (!invitation || invitation.state !== "Established") return false;
    invitation.bye();
    return true;
  };
  return phone;
}
