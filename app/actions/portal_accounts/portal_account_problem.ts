/** Why a change to a portal account or link was refused (shown to staff, or printed by the command). */
export class PortalAccountProblem extends Error {}
