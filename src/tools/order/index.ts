import type { AnyToolDefinition } from '../define-tool';
import { createCalculateTool } from './calculate';
import { createCancelPendingOrderTool } from './cancel-pending-order';
import { createCheckWarrantyTool } from './check-warranty';
import { createExchangeDeliveredOrderItemsTool } from './exchange-delivered-order-items';
import { createFindUserIdByEmailTool } from './find-user-id-by-email';
import { createFindUserIdByNameZipTool } from './find-user-id-by-name-zip';
import { createGetOrderDetailsTool } from './get-order-details';
import { createGetProductDetailsTool } from './get-product-details';
import { createGetUserDetailsTool } from './get-user-details';
import { createListAllProductTypesTool } from './list-all-product-types';
import { createModifyPendingOrderAddressTool } from './modify-pending-order-address';
import { createModifyPendingOrderItemsTool } from './modify-pending-order-items';
import { createModifyPendingOrderPaymentTool } from './modify-pending-order-payment';
import { createModifyUserAddressTool } from './modify-user-address';
import type { OrderToolDependencies } from './order-tool-support';
import { createReturnDeliveredOrderItemsTool } from './return-delivered-order-items';
import { createTrackShipmentTool } from './track-shipment';
import { createTransferToHumanAgentsTool } from './transfer-to-human-agents';

export type { OrderToolDependencies } from './order-tool-support';

/**
 * The order tools: τ-bench's retail tools (same names, parameters and answers) plus `track_shipment` and
 * `check_warranty`. Identity and privacy are enforced here, in code:
 * - identity tools verify the customer through `context.verifyCustomer`;
 * - before verification only `calculate`, `list_all_product_types`, `get_product_details` (the public
 *   catalogue) and `transfer_to_human_agents` run; every other tool answers that the customer must be
 *   verified first;
 * - another customer's order or user id is answered exactly like one that does not exist, and payment
 *   methods must be the verified customer's own.
 */
export function createOrderTools(dependencies: OrderToolDependencies): AnyToolDefinition[] {
  return [
    createFindUserIdByEmailTool(dependencies),
    createFindUserIdByNameZipTool(dependencies),
    createGetUserDetailsTool(dependencies),
    createGetOrderDetailsTool(dependencies),
    createTrackShipmentTool(dependencies),
    createCheckWarrantyTool(dependencies),
    createGetProductDetailsTool(dependencies),
    createListAllProductTypesTool(dependencies),
    createCalculateTool(),
    createCancelPendingOrderTool(dependencies),
    createModifyPendingOrderAddressTool(dependencies),
    createModifyPendingOrderPaymentTool(dependencies),
    createModifyPendingOrderItemsTool(dependencies),
    createExchangeDeliveredOrderItemsTool(dependencies),
    createReturnDeliveredOrderItemsTool(dependencies),
    createModifyUserAddressTool(dependencies),
    createTransferToHumanAgentsTool(),
  ];
}
