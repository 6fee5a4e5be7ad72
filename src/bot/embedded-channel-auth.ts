import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  MicrosoftAppCredentials,
  type AuthenticateRequestResult,
} from 'botframework-connector';

/**
 * Replies to the embedded Direct Line go to this process's own loopback endpoint, which takes no token: the
 * connector client sends none, so an app id's credentials are never fetched for them.
 */
class EmbeddedChannelConnectorFactory extends ConnectorFactory {
  create(serviceUrl: string): Promise<ConnectorClient> {
    return Promise.resolve(
      new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: serviceUrl }),
    );
  }
}

/**
 * The authentication result for activities the embedded Direct Line hands to the bot in-process when the bot
 * has an app id. Real channels prove themselves with a Bot Framework token on `/api/messages`; the embedded
 * service is part of this process and cannot mint one, so it skips HTTP and presents the bot's own identity,
 * as a token for the bot would carry it.
 */
export function embeddedChannelAuthentication(appId: string): AuthenticateRequestResult {
  return {
    audience: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    claimsIdentity: new ClaimsIdentity(
      [
        { type: AuthenticationConstants.AudienceClaim, value: appId },
        { type: AuthenticationConstants.AppIdClaim, value: appId },
        { type: AuthenticationConstants.VersionClaim, value: '1.0' },
      ],
      true,
    ),
    connectorFactory: new EmbeddedChannelConnectorFactory(),
  };
}
