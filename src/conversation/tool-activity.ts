/**
 * What the customer sees while a tool runs. Only the order id is taken from the model's arguments: the rest is
 * fixed copy, so nothing the model writes reaches the customer unreviewed.
 */
export function describeToolActivity(toolName: string, argumentsJson: string): string {
  const orderId = readOrderId(argumentsJson);
  const order = orderId === null ? 'your order' : `order ${orderId}`;
  switch (toolName) {
    case 'find_user_id_by_email':
    case 'find_user_id_by_name_zip':
      return 'Checking your details…';
    case 'get_user_details':
      return 'Looking up your account…';
    case 'get_order_details':
      return `Looking up ${order}…`;
    case 'track_shipment':
      return `Tracking the shipment of ${order}…`;
    case 'check_warranty':
      return `Checking the warranty for ${order}…`;
    case 'get_product_details':
    case 'list_all_product_types':
      return 'Looking at our products…';
    case 'search_policies':
      return 'Checking our policies…';
    case 'transfer_to_human_agents':
      return 'Finding a colleague to help you…';
    case 'create_profile_avatar':
      return 'Drawing your avatar…';
    default:
      return 'Working on it…';
  }
}

function readOrderId(argumentsJson: string): string | null {
  try {
    const value: unknown = JSON.parse(argumentsJson);
    if (typeof value === 'object' && value !== null && 'order_id' in value) {
      const orderId = value.order_id;
      if (typeof orderId === 'string' && /^#?W\d{7}$/u.test(orderId)) {
        return orderId.startsWith('#') ? orderId : `#${orderId}`;
      }
    }
  } catch {
    // Arguments the model garbled: the registry reports that to the model; the customer just sees the default.
  }
  return null;
}
