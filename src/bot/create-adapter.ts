import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type { BotAuthConfig } from '../config/config';
import { CachingBotFrameworkAuthentication } from './caching-authentication';
import { describeError } from '../shared/errors';
import { keepEntityFieldsOnTheWire } from './entity-serialization';
import type { Logger } from '../shared/logger';

export const TURN_ERROR_MESSAGE =
  "I'm sorry, something went wrong on my side. Please try again, or ask to talk to a person.";

/**
 * The Bot Framework adapter. With an app id, inbound requests must carry a valid Bot Connector token (401
 * otherwise) and replies are signed; without one, authentication is off (local mode) in both directions.
 */
export function createAdapter(auth: BotAuthConfig, logger: Logger): CloudAdapter {
  keepEntityFieldsOnTheWire();
  const credentials =
    auth.appId === null
      ? {}
      : {
          MicrosoftAppId: auth.appId,
          MicrosoftAppType: auth.appType,
          MicrosoftAppPassword: auth.appPassword,
          MicrosoftAppTenantId: auth.tenantId,
        };
  const credentialsFactory = new ConfigurationServiceClientCredentialFactory(credentials);
  const authentication = new ConfigurationBotFrameworkAuthentication(
    credentials,
    credentialsFactory,
  );
  const adapter = new CloudAdapter(new CachingBotFrameworkAuthentication(authentication));
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    logger.error(
      {
        conversationId: context.activity.conversation?.id,
        activityId: context.activity.id,
        channelId: context.activity.channelId,
        error: describeError(error),
      },
      'turn-error',
    );
    // Invokes expect an invoke response, not a message; the adapter answers them with an error status.
    if (context.activity.type === 'message' || context.activity.type === 'conversationUpdate') {
      await context.sendActivity(TURN_ERROR_MESSAGE).catch((sendError: unknown) => {
        logger.warn({ error: describeError(sendError) }, 'turn-error-reply-failed');
      });
    }
  };
  return adapter;
}
