#pragma once

#include <QVariant>
#include <functional>

class QWidget;

namespace clusterra {

struct TemplateParam;

// The editor a template parameter's type calls for (spin box, check box, choice, line),
// filled with its default; `changed` runs when a value that the live check reads is edited.
QWidget *makeParamEditor(const TemplateParam &param, QWidget *parent,
                         const std::function<void()> &changed);
QVariant paramEditorValue(const QWidget *editor);
void setParamEditorValue(QWidget *editor, const QVariant &value);

} // namespace clusterra
