from rongcheng.core.errors import ApplicationError


class FeeRuleInvalid(ApplicationError):
    code = "fee_rule_invalid"
