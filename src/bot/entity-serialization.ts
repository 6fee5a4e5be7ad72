import { Entity as EntityMapper } from 'botframework-connector/lib/connectorApi/models/mappers';

/**
 * Lets every field of an outgoing activity's entities reach the channel, not only `type`, `text` and
 * `mentioned`. Call once at startup, before the first reply; calling again changes nothing.
 *
 * botbuilder 4.23 sends activities through botframework-connector, whose mappers @azure/core-client uses to
 * serialize them; core-client keeps an object's undeclared properties only when its mapper declares
 * `additionalProperties`. The `Activity` mapper does declare them for its `entities` elements, but core-client
 * swaps an array's element mapper for the model mapper of the same class name, and the `Entity` mapper
 * declares only those three fields. So a `streaminfo` entity went out as `{ "type": "streaminfo" }` (Teams:
 * "BadSyntax: Only start streaming and continue streaming types are allowed as a typing activity";
 * MicrosoftDocs/msteams-docs#12940, microsoft/teams-sdk#2331), and citation or AI-label entities lost their
 * content the same way. Declaring `additionalProperties` on `Entity` itself keeps them, as plain JSON.
 */
export function keepEntityFieldsOnTheWire(): void {
  EntityMapper.type.additionalProperties ??= { type: { name: 'Object' } };
}
